/**
 * The one request pipeline of each service: canonical paths, then, on the matched handler, its
 * access declaration, the rate limit and one authentication.
 */
package io.growthos.platform.pipeline;
