/** Process lifecycle helpers for the local stack. */
package io.growthos.platform.lifecycle;
