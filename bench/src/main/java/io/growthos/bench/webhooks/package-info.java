/** The webhook delivery benchmark ({@code bench/run webhooks}). */
package io.growthos.bench.webhooks;
