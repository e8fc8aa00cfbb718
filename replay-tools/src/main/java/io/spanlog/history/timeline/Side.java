package io.spanlog.history.timeline;

/** Which end of the link an entry is about, or the link itself. */
public enum Side {
  /** The observing node (NODE of NODE:PEER). */
  NODE,
  /** The peer it observes. */
  PEER,
  /** The link NODE → PEER. */
  LINK
}
