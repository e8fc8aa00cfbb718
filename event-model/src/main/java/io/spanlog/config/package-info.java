/**
 * The text grammars of settings that every Spanlog program shares (flags, config files), so a
 * value means the same wherever it is typed. Pure functions: no I/O.
 */
package io.spanlog.config;
