// Where things are printed on a second-generation resident ID card (GB/T 2260-era layout,
// 85.6 × 54 mm, ISO/IEC 7810 ID-1). All figures in millimetres from the top-left corner of
// the card held in landscape, text upright. The reader crops fields from these regions and
// the test-card generator draws into them, so both agree on one description of the card.
#pragma once

namespace examphoto::card_layout {

inline constexpr double kWidthMm = 85.6;
inline constexpr double kHeightMm = 54.0;
inline constexpr double kCornerRadiusMm = 3.18;  // ISO/IEC 7810 ID-1

struct RectMm {
  double x = 0, y = 0, width = 0, height = 0;
};

// Portrait side (人像面). Value text is black; labels are printed in blue.
inline constexpr double kLabelXMm = 5.5;
inline constexpr double kValueXMm = 15.5;
inline constexpr double kLabelSizeMm = 2.6;
inline constexpr double kValueSizeMm = 3.1;
inline constexpr double kNameBaselineMm = 10.0;
inline constexpr double kSexBaselineMm = 16.2;
inline constexpr double kEthnicityLabelXMm = 27.0;
inline constexpr double kEthnicityValueXMm = 35.5;
inline constexpr double kBirthBaselineMm = 22.4;
inline constexpr double kAddressBaselineMm = 28.6;
inline constexpr double kAddressLineStepMm = 4.6;
inline constexpr double kAddressMaxWidthMm = 34.0;
inline constexpr int kAddressMaxLines = 4;
inline constexpr double kNumberLabelBaselineMm = 48.5;
inline constexpr double kNumberValueXMm = 29.0;
inline constexpr double kNumberSizeMm = 3.4;
inline constexpr RectMm kPhoto{54.0, 5.0, 26.0, 32.0};

// Regions the reader crops (value text only, with a margin for imperfect rectification).
inline constexpr RectMm kNameRegion{14.0, 5.2, 36.0, 6.8};
inline constexpr RectMm kSexRegion{14.0, 11.6, 11.0, 6.4};
inline constexpr RectMm kEthnicityRegion{34.0, 11.6, 17.0, 6.4};
inline constexpr RectMm kBirthRegion{14.0, 17.8, 36.0, 6.4};
inline constexpr RectMm kAddressRegion{14.0, 24.2, 38.5, 19.4};
inline constexpr RectMm kNumberRegion{27.0, 43.6, 56.0, 6.8};

// Emblem side (国徽面).
inline constexpr RectMm kEmblem{6.5, 4.5, 15.0, 15.0};
inline constexpr double kTitleBaselineMm = 12.0;  // 中华人民共和国
inline constexpr double kTitleSizeMm = 4.0;
inline constexpr double kCardNameBaselineMm = 24.5;  // 居民身份证
inline constexpr double kCardNameSizeMm = 6.4;
inline constexpr double kTitleXMm = 27.0;
inline constexpr double kTitleRightMm = 79.0;
inline constexpr double kEmblemLabelXMm = 16.0;
inline constexpr double kEmblemValueXMm = 30.5;
inline constexpr double kAuthorityBaselineMm = 42.0;
inline constexpr double kValidityBaselineMm = 48.5;
inline constexpr RectMm kAuthorityRegion{29.5, 37.2, 54.0, 6.6};
inline constexpr RectMm kValidityRegion{29.5, 43.7, 54.0, 6.6};

}  // namespace examphoto::card_layout
