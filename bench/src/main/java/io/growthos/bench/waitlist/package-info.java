/** {@code bench/run waitlist}: waitlist position reads at a million participants. */
package io.growthos.bench.waitlist;
