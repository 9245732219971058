/** How services are run: the JVM options shared by the local stack and the benchmarks. */
package io.growthos.model.runtime;
