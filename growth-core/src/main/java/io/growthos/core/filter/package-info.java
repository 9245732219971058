/**
 * The one filter grammar of SPEC §7 that selects contacts (segments, analytics filters, survey
 * targeting, campaign audiences): {@link io.growthos.core.filter.FilterParser} reads the JSON tree
 * into a typed {@link io.growthos.core.filter.Filter}, reporting every problem with its JSON path,
 * and {@link io.growthos.core.filter.FilterSql} compiles it into one parameterised SQL predicate
 * over {@code contacts c}. Values and trait paths reach SQL only as bind parameters.
 */
package io.growthos.core.filter;
