/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/export.h
 * @brief Symbol visibility and attribute macros used by the public headers.
 */
#ifndef CAEC_EXPORT_H
#define CAEC_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define CAEC_EXPORT __attribute__((visibility("default")))
#define CAEC_NODISCARD __attribute__((warn_unused_result))
#else
#define CAEC_EXPORT
#define CAEC_NODISCARD
#endif

#endif /* CAEC_EXPORT_H */
