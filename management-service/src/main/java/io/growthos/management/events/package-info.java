/** {@code /v1/events}: list with filters, retrieve. */
package io.growthos.management.events;
