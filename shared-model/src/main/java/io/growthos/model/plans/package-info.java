/** Plan tiers and limits. */
package io.growthos.model.plans;
