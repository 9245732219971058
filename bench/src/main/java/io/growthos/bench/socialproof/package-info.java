/** {@code bench/run feed}: the social-proof widget route under load (issue 12). */
package io.growthos.bench.socialproof;
