/**
 * Growth rules both services apply, written once as plain code with their own tests: the filter
 * grammar of SPEC §7 and its SQL compiler, campaign rules of §8 and the webhook outbox of §9. No
 * web layer and no Spring Boot application here.
 */
package io.growthos.core;
