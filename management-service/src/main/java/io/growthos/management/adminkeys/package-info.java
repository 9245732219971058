/** Operator keys: an admin key creates, lists and revokes admin keys, so operators can rotate. */
package io.growthos.management.adminkeys;
