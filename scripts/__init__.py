"""dprk_sanctions: validate, build and query the DPRK sanctions data package."""
