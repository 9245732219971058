/** API key formats, generation and hashing. */
package io.growthos.model.keys;
