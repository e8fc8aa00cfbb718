/**
 * Spanlog's events: immutable records of what happened, each in a versioned envelope ({@link
 * io.spanlog.events.Envelope}), their catalogue ({@link io.spanlog.events.EventType}) and their
 * JSON form ({@link io.spanlog.events.EventCodec}). No I/O lives here.
 *
 * <p><b>How events evolve.</b> An envelope's {@code schema} is the major version of its type's
 * schema. Within a major, changes are additive only: a new field, declared {@code Optional}, that
 * an older reader may ignore. Readers skip fields they do not know and read an absent optional
 * field as empty, so during a rolling upgrade a consumer one release behind reads newer events,
 * and a newer consumer replays the older log. Any other change (a field removed, renamed,
 * retyped or made required, a new enum constant) takes a new major, which a build that does not
 * know it rejects with a message naming the type and both versions; the record goes to the
 * dead-letter topic and the consumer carries on. Unknown types, missing required fields and
 * ill-typed values stay errors. Details in {@link io.spanlog.events.EventCodec}.
 */
package io.spanlog.events;
