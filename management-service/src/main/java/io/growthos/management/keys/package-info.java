/** {@code /v1/api-keys}: create, list, retrieve, revoke, roll with a grace period. */
package io.growthos.management.keys;
