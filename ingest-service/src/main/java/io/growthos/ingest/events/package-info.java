/**
 * Events: parsing and validation of Segment payloads, and the group-commit writer that stores them
 * exactly once per messageId.
 */
package io.growthos.ingest.events;
