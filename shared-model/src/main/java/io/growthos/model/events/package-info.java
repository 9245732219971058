/** Stored events (written by the Ingest API, read by the Management API). */
package io.growthos.model.events;
