/** Idempotency-Key: stored first responses, replays, in-flight claims. */
package io.growthos.management.idempotency;
