/** First-start bootstrap of a workspace and keys from the environment. */
package io.growthos.platform.bootstrap;
