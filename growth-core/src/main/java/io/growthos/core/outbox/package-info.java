/**
 * The transactional outbox of SPEC §9: every service records what happened (a contact created, a
 * key rolled, …) as a row of {@code webhook_outbox} in the same transaction as the change, through
 * {@link io.growthos.core.outbox.Outbox}. The management service's webhook dispatcher delivers the
 * rows; a crash can neither lose an event nor invent one.
 */
package io.growthos.core.outbox;
