/** The error envelope shared by both APIs (SPEC §2) and the exception services throw. */
package io.growthos.model.errors;
