/**
 * Contact rules that need the database, written once for both services (the pure rules are in
 * {@code io.growthos.model.contacts}): deletion with its suppression of the contact's ids, the
 * back-fill queue that links an id's history outside the ingest hot transaction, and {@link
 * io.growthos.core.contacts.ContactChanges}, the one hook every contact write of a service calls.
 * Rules: docs/contacts.md.
 */
package io.growthos.core.contacts;
