/**
 * Contacts as the Ingest API maintains them: identify, alias and group calls applied inside the
 * transaction that stores their events.
 */
package io.growthos.ingest.contacts;
