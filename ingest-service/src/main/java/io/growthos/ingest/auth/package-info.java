/** Write-key authentication of the Ingest API. */
package io.growthos.ingest.auth;
