/** API key authentication shared by both services. */
package io.growthos.platform.auth;
