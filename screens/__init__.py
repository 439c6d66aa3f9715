"""Kivy screens: one <name>.py + <name>.kv each. The app loads them lazily by name from SCREENS.

This module itself imports no Kivy: tests and tools read SCREENS and VOICE_OFF without opening a window."""

VOICE_OFF = "（语音关闭；打开语音会读：）"     # spoken.txt: normal mode's words, read only with the voice on

# name -> "module:Class"; add one line per screen
SCREENS: dict[str, str] = {
    "attract": "screens.attract:AttractScreen",
    "home": "screens.home:HomeScreen",
    "coming_soon": "screens.coming_soon:ComingSoonScreen",
    "notice": "screens.notice:NoticeScreen",
    "receipt": "screens.receipt:ReceiptScreen",
    "help": "screens.help:HelpScreen",
    "apply": "screens.apply:ApplyScreen",
    "postal": "screens.postal:PostalScreen",
    "appointment": "screens.appointment:AppointmentScreen",
    "maintenance": "screens.maintenance:MaintenanceScreen",
    "out_of_service": "screens.out_of_service:OutOfServiceScreen",
    "identify": "screens.identify:IdentifyScreen",
    "scan_code": "screens.scan_code:ScanCodeScreen",
    "guides": "screens.guides:GuidesScreen",
    "guide_search": "screens.guide_search:GuideSearchScreen",
    "guide_detail": "screens.guide_detail:GuideDetailScreen",
    "materials": "screens.materials:MaterialsScreen",
    "evaluation": "screens.evaluation:EvaluationScreen",
    "complaint": "screens.complaint:ComplaintScreen",
    "tracking": "screens.tracking:TrackingScreen",
    "certificates": "screens.certificates:CertificatesScreen",
    "licences": "screens.licences:LicencesScreen",
    "benefits": "screens.benefits:BenefitsScreen",
    "where": "screens.where:WhereScreen",
    "idcopy": "screens.idcopy:IdCopyScreen",
    "video": "screens.video:VideoScreen",
    "case_story": "screens.case_story:CaseStoryScreen",
    "agencies": "screens.agencies:AgenciesScreen",
}
