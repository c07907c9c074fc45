/// A devices file that cannot be used: the settings-file error, with `kind` "devices".
public typealias CatalogError = ConfigFileError
