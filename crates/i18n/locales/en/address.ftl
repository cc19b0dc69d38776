## Address: converting the old address on a card to the current administrative units (since 1 July 2025).

address-mapped-exact = The address on the card was converted to the current names: { $ward }, { $province }. Please check it.
address-mapped-province-only = Only the province could be determined: { $province }. Please choose the ward or commune.
address-not-recognised = The address on the card was not recognised. Please choose the province and the ward or commune.
