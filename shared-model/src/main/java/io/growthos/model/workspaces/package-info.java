/** Workspaces (tenants) and their settings. */
package io.growthos.model.workspaces;
