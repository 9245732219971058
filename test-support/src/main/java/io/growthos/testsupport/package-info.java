/**
 * Real PostgreSQL (and Redis) for tests, chosen in one place, and helpers both services' tests
 * share (answers checked against the live OpenAPI document: {@link
 * io.growthos.testsupport.SchemaCheck}).
 */
package io.growthos.testsupport;
