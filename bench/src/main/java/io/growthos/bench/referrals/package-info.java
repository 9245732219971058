/** {@code bench/run referrals}: how far referral attribution lags ingest under batch load. */
package io.growthos.bench.referrals;
