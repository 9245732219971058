/** Web plumbing of the Management API: request strictness, preconditions, JSON conventions. */
package io.growthos.management.web;
