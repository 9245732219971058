/**
 * The launcher behind {@code ./growthos}: runs embedded PostgreSQL and both services as child
 * processes on one data directory, and recovers by itself from any of them having been killed.
 */
package io.growthos.localstack;
