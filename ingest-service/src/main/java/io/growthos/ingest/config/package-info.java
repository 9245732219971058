/** Typed configuration of the Ingest API. */
package io.growthos.ingest.config;
