/**
 * The ranges of client values both services accept: timestamps ({@link
 * io.growthos.model.values.TimestampRange}) and numbers ({@link
 * io.growthos.model.values.NumberRange}). A value outside them is a 400 {@code out_of_range} naming
 * the field, never a 500 from PostgreSQL. Text lengths are counted one way, in characters ({@link
 * io.growthos.model.values.TextLength}).
 */
package io.growthos.model.values;
