"""egovnet: infrastructure-as-code and network operations for a county e-government extranet."""

__version__ = "0.1.0"
