/**
 * Per-key rate limits (SPEC §2) for every {@code /v1} request of both services: token buckets sized
 * by the workspace plan, in-process or shared through Redis, with the {@code X-RateLimit-*} headers
 * on every response.
 */
package io.growthos.platform.ratelimit;
