/**
 * Segments (SPEC §7): saved filters of the one filter grammar ({@code io.growthos.core.filter}),
 * evaluated live with compiled SQL over the JDBC read path: their contacts, their count, a preview
 * of an unsaved filter, and the segments one contact is in.
 */
package io.growthos.management.segments;
