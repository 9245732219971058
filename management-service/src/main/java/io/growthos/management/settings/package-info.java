/** {@code /v1/settings}: the caller's workspace settings. */
package io.growthos.management.settings;
