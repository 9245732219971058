/** {@code /v1/workspaces}: operator routes for admin keys. */
package io.growthos.management.workspaces;
