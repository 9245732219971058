/** Contacts (people), the ids they are known by, groups and memberships. */
package io.growthos.model.contacts;
