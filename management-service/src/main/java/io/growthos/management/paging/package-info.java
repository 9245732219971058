/** Keyset pagination with signed, opaque cursors. */
package io.growthos.management.paging;
