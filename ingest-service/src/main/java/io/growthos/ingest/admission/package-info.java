/**
 * Admission control: a service-wide budget of the heap bytes that requests in flight may hold, so
 * that no sequence of valid requests can exhaust the heap (issue 8, finding 3).
 */
package io.growthos.ingest.admission;
