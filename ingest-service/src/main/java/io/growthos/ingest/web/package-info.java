/** HTTP surface of the Ingest API: routes, body reading, CORS, OpenAPI. */
package io.growthos.ingest.web;
