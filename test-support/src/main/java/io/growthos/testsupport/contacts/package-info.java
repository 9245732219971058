/**
 * The table of contact rule cases both services are tested against (docs/contacts.md): one fixture,
 * applied by the shared-model unit test, the Ingest API's identify test and the Management API's
 * create/PATCH test.
 */
package io.growthos.testsupport.contacts;
