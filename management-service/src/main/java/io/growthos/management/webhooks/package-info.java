/**
 * Webhooks (SPEC §9): endpoints on the Management API and the dispatcher that delivers the events
 * of {@code webhook_outbox} to them, signed as Standard Webhooks asks, at least once, with retries.
 * See docs/webhooks.md.
 */
package io.growthos.management.webhooks;
