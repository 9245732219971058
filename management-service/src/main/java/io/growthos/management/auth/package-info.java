/** Who may call which route: secret keys with scopes, admin keys on workspace routes. */
package io.growthos.management.auth;
