/** {@code /v1/contacts}: create, list, retrieve, merge traits, delete with events. */
package io.growthos.management.contacts;
