/**
 * Standard Webhooks signatures (SPEC §9): how GrowthOS signs a delivery and how a receiver written
 * in Java verifies one. Plain code, no I/O.
 */
package io.growthos.core.webhooks;
