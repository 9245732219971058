/** Prefixed, time-ordered, opaque identifiers. */
package io.growthos.model.ids;
