/** Request ids and the error envelope for every error, on both services. */
package io.growthos.platform.web;
