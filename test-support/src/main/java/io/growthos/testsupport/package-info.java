/** Real PostgreSQL (and Redis) for tests, chosen in one place. */
package io.growthos.testsupport;
