"""Engine-free sharing layer: share links, image/iframe/script embeds, OG cards, oEmbed, QR,
JSON-LD and the download archive.

It reads only :class:`portfolio_gen.share.info.ShareInfo`, so the site integration can map its
own model onto it and nothing here depends on MkDocs or on the display model.
"""
